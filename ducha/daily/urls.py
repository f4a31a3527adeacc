from django.urls import path

from ducha.daily import summary_views, views

app_name = "daily"
urlpatterns = [
    path("", views.home, name="home"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/refresh/", views.report_refresh, name="report_refresh"),
    path("reports/<int:pk>/return/", views.report_return, name="report_return"),
    path("summaries/", summary_views.summaries, name="summaries"),
    path("summaries/<int:pk>/", summary_views.summary_detail, name="summary"),
    path("summaries/<int:pk>/finalise/", summary_views.summary_finalise, name="summary_finalise"),
    path("summaries/<int:pk>/refresh/", summary_views.summary_refresh, name="summary_refresh"),
    path("agenda/", summary_views.agenda, name="agenda"),
    path("draft/", views.draft_now, name="draft_now"),
]

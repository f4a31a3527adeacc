from django.urls import path

from ducha.reports import meeting_word, results_views, resumption_views, views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("regions/<int:pk>/", views.region_dashboard, name="region"),
    path("results/", results_views.results_dashboard, name="results"),
    path("results/regions/<int:pk>/", results_views.results_region, name="results_region"),
    path("resumption/", resumption_views.resumption_dashboard, name="resumption"),
    path("agenda.docx", meeting_word.agenda_docx, name="agenda_docx"),
    path("summaries/<int:pk>.docx", meeting_word.summary_docx, name="summary_docx"),
]

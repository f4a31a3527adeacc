from django.urls import path

from ducha.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("queue/", views.queue, name="queue"),
    path("new/", views.referral_create, name="create"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/evidence/<int:evidence_id>/", views.referral_evidence, name="evidence"),
    path("<int:pk>/<str:step>/", views.referral_act, name="act"),
]

from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "ducha.referrals"
    label = "referrals"

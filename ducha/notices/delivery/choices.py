from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """The ways a notification leaves the app. Which ones a deployment uses is a setting
    (DUCHA_DELIVERY_CHANNELS); the robots also need an org's webhook (`OrgChannel`)."""

    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")


# A user's own address or phone: quiet hours and the daily digest apply to these. A group
# robot posts to a chat many people share, so one member's quiet hours do not hold it back.
PERSONAL_CHANNELS = frozenset({Channel.EMAIL, Channel.SMS})
ROBOT_CHANNELS = frozenset({Channel.WECOM, Channel.DINGTALK})


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")

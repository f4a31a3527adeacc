"""Delivery of notifications beyond the app: e-mail, SMS, WeCom and DingTalk robots
(docs/notifications.md, section "Delivery")."""

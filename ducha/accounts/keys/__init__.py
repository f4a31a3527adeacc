"""Security keys (WebAuthn) as a second factor: an app of its own inside accounts, so its
table and migrations stay apart from the accounts app's."""

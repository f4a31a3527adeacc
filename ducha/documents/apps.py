from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "ducha.documents"
    label = "documents"

    def ready(self) -> None:
        # The ladder (problems, a layer below) issues its 催办通知书 through this hook.
        from ducha.documents.urge import issue_urge_notice
        from ducha.problems import hooks

        hooks.add(hooks.URGE_NOTICE_ISSUERS, issue_urge_notice)

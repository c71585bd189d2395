from django.apps import AppConfig
from django.core.signals import request_finished


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = "Mentorship"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mentorship import observability, privacy_categories  # noqa: F401 (registers)

        request_finished.connect(observability.end_request, dispatch_uid="request-id-end")

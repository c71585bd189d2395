from django.apps import AppConfig


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = "Mentorship"
    default_auto_field = "django.db.models.BigAutoField"

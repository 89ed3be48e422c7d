from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"

    def ready(self) -> None:
        """Hook into the lower layers without them importing upward (DESIGN §3)."""
        from questionnaires.assessments import COMPLETION_STEPS
        from questionnaires.reminders import DAILY_STEPS
        from suppliers.services import INTAKE_HOOKS

        from . import hooks

        for registry, step in (
            (COMPLETION_STEPS, hooks.after_completion),
            (INTAKE_HOOKS, hooks.after_intake_change),
            (DAILY_STEPS, hooks.contract_reminders),
            (DAILY_STEPS, hooks.certificate_reminders),
            (DAILY_STEPS, hooks.exit_test_reminders),
        ):
            if step not in registry:
                registry.append(step)
        from django.db.models.signals import post_migrate

        post_migrate.connect(hooks.load_library_after_migrate, sender=self)

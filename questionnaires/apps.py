from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "questionnaires"

    def ready(self) -> None:
        """Define this app's domain events, then subscribe its steps to events (DESIGN §3)."""
        from . import events, subscribers  # noqa: PLC0415 - needs the app registry
        from .joint import events as joint_events  # noqa: PLC0415 - as above
        from .sharing import events as sharing_events  # noqa: PLC0415 - as above

        events.define_events()
        sharing_events.define_events()
        joint_events.define_events()
        subscribers.register()
        _forget_outlines_on_change()


def _forget_outlines_on_change() -> None:
    """A question saved, deleted or updated in bulk (the admin, a data fix) drops its
    template's cached outline and questions (`assessments.outline`)."""
    from django.db.models.signals import post_delete, post_save  # noqa: PLC0415 - app registry

    from .assessments.outline import forget_outline  # noqa: PLC0415 - as above
    from .models import Question  # noqa: PLC0415 - as above
    from .models.templates import questions_updated  # noqa: PLC0415 - as above

    def forget(sender, instance, **kwargs):
        forget_outline(instance.template_id)

    def forget_all(sender, template_ids, **kwargs):
        for template_id in template_ids:
            forget_outline(template_id)

    post_save.connect(forget, sender=Question, weak=False, dispatch_uid="kw-outline-save")
    post_delete.connect(forget, sender=Question, weak=False, dispatch_uid="kw-outline-delete")
    questions_updated.connect(forget_all, weak=False, dispatch_uid="kw-outline-update")

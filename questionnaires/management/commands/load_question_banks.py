from portal.core.commands import OperationsCommand
from questionnaires.services import banks_load


class Command(OperationsCommand):
    help = "Import and publish the question banks shipped in questionnaires/banks/ (idempotent)."

    def handle(self, *args, **options):
        loaded = banks_load()
        for t in loaded:
            self.stdout.write(
                f"Loaded {t.key} version {t.version} ({t.questions.count()} questions)"
            )
        if not loaded:
            self.stdout.write("All shipped question banks are already loaded.")

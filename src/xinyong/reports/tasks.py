"""Background work of `reports`: a queued report is printed and signed by a worker, and a
starting worker queues again the reports of workers that died."""

from xinyong.core.tasks import recovery, task
from xinyong.reports import services


@task()
def report_generate_task(report_id: int) -> str:
    report = services.report_generate(report_id=report_id)
    return report.status if report is not None else "skipped"


recovery(services.report_recover_stalled)

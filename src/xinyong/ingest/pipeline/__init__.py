"""Processing of one batch: read, match the header, validate row by row,
write in chunks. Every received row ends accepted or rejected; a problem
with the file as a whole fails the batch and nothing of it is kept.

- `reading`: header, validation, the chunks the reading side hands over;
- `limits`: the record key and the column limits of a row;
- `parallel`: the reading side in a forked process that never outlives the import;
- `writing`: subjects and records written chunk by chunk, the counts;
- `importing`: one batch, chunks staged then made live at once, done or failed.
"""

from xinyong.ingest.pipeline.importing import batch_discard, fail, process
from xinyong.ingest.pipeline.parallel import use_worker_process
from xinyong.ingest.pipeline.reading import Chunk, Reading, read_and_validate
from xinyong.ingest.pipeline.writing import Counts, Timings

__all__ = [
    "Chunk",
    "Counts",
    "Reading",
    "Timings",
    "batch_discard",
    "fail",
    "process",
    "read_and_validate",
    "use_worker_process",
]

from ninja import Schema
from pydantic import Field


class PersonIn(Schema):
    id_number: str = Field(min_length=1, max_length=18, description="居民身份证号码（不写入日志）")


class IntegrityRecordOut(Schema):
    id: int
    item: str
    item_name: str
    department: str
    doc_number: str
    decision_date: str | None
    kind: str
    content: str


class IntegrityFileOut(Schema):
    subject: int
    name: str
    id_masked: str
    records: list[IntegrityRecordOut]


class IntegrityCheckIn(Schema):
    domain: str = Field(
        min_length=1, max_length=10, description="RYLY（录用任用）或 PYBZ（评优表彰）"
    )
    matter: str = Field(default="", max_length=200)
    id_number: str = Field(min_length=1, max_length=18)
    name: str = Field(default="", max_length=50)

"""Drop the single-column indexes of Record's foreign keys: each is covered
by a composite index (see the model). Dropped with DROP INDEX rather than
Django's AlterField, which on SQLite would copy the whole table four times."""

import django.db.models.deletion
from django.db import migrations, models


_INDEXES = {
    "records_record_department_id_d23f4901": "department_id",
    "records_record_item_id_7af30639": "item_id",
    "records_record_subject_id_07deca2a": "subject_id",
    "records_record_version_id_082a7eaa": "version_id",
}


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0002_builtin_items'),
        ('orgs', '0001_initial'),
        ('records', '0004_record_record_changed_idx'),
        ('subjects', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='record',
                    name='department',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.department', verbose_name='报送部门'),
                ),
                migrations.AlterField(
                    model_name='record',
                    name='item',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.catalogitem', verbose_name='目录事项'),
                ),
                migrations.AlterField(
                    model_name='record',
                    name='subject',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='records', to='subjects.subject', verbose_name='信用主体'),
                ),
                migrations.AlterField(
                    model_name='record',
                    name='version',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.catalogitemversion', verbose_name='目录版本'),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "records_record" ("{column}")',
                )
                for name, column in _INDEXES.items()
            ],
        ),
    ]

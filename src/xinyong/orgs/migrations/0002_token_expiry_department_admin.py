import datetime

from django.db import migrations, models

import xinyong.orgs.models


def _expire_in_a_year(apps, schema_editor):
    """Tokens made before expiry existed get the default lifetime from their creation."""
    ApiToken = apps.get_model("orgs", "ApiToken")
    for token in ApiToken.objects.filter(expires_at__isnull=True).only("pk", "created_at"):
        ApiToken.objects.filter(pk=token.pk).update(
            expires_at=token.created_at + datetime.timedelta(days=365)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
    ]

    operations = [
        # The manager's create_superuser gives the credit office's role (createsuperuser).
        migrations.AlterModelManagers(
            name="user",
            managers=[
                ("objects", xinyong.orgs.models.UserManager()),
            ],
        ),
        migrations.AlterField(
            model_name="user",
            name="role",
            field=models.CharField(
                choices=[
                    ("credit_admin", "信用办管理员"),
                    ("dept_admin", "部门管理员"),
                    ("clerk", "信息报送员"),
                    ("officer", "审批/执法人员"),
                ],
                default="clerk",
                max_length=20,
                verbose_name="角色",
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="到期时间"),
        ),
        migrations.RunPython(_expire_in_a_year, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="到期时间"),
        ),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):
    """Step 1 of 3: room for the random look-up code (filled in 0003, made unique in 0004) and the allocation
    bitmap of status lists."""

    dependencies = [
        ("credentials", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="issuedcredential",
            name="code",
            field=models.CharField(max_length=19, null=True, verbose_name="verification code"),
        ),
        migrations.AddField(
            model_name="statuslist",
            name="allocated",
            field=models.BinaryField(default=bytes),
        ),
    ]

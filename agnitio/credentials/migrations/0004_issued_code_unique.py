from django.db import migrations, models


class Migration(migrations.Migration):
    """Step 3 of 3: every credential has its code (0003); now it is required and unique."""

    dependencies = [
        ("credentials", "0003_fill_codes_allocation_and_superseded_bits"),
    ]

    operations = [
        migrations.AlterField(
            model_name="issuedcredential",
            name="code",
            field=models.CharField(max_length=19, unique=True, verbose_name="verification code"),
        ),
    ]

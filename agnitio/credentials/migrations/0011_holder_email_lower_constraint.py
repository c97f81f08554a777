# Every holder address is stored normalised from here on (agnitio.core.emails.email_normalise).

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('credentials', '0010_holder_email_normalised'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='issuedcredential',
            constraint=models.CheckConstraint(condition=models.Q(('holder_email', django.db.models.functions.text.Lower('holder_email'))), name='credential_holder_email_lower'),
        ),
    ]

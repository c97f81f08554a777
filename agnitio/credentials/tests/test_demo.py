from django.core.management import call_command

from agnitio.credentials.models import IssuedCredential


def test_demo_data_issues_demo_credentials_once(db):
    call_command("demo_data")
    call_command("demo_data")
    issued = IssuedCredential.objects.filter(holder_email="demo@agnitio.example")
    assert sorted(issued.values_list("kind", flat=True)) == ["microcredential", "youthpass"]
    assert issued.get(kind="youthpass").pdf

"""chargecheck: advisory checks of stalking and harassment charging decisions."""

__version__ = "0.1.0"

ADVISORY = (
    "advisory only: not legal advice; check current CPS legal guidance, the Sentencing "
    "Council guideline and legislation.gov.uk"
)

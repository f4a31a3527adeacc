"""Names of the sheets in ledger workbooks (Excel allows at most 31 characters)."""

from django.utils.translation import pgettext_lazy

DATA_SHEET = pgettext_lazy("ledger sheet", "Problems")
INSTRUCTIONS_SHEET = pgettext_lazy("ledger sheet", "How to fill in")
REFERENCE_SHEET = pgettext_lazy("ledger sheet", "Reference")

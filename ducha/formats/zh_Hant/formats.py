# Chinese official usage writes months and days without leading zeros: 2026年3月1日, 3月1日.
DATE_FORMAT = "Y年n月j日"
MONTH_DAY_FORMAT = "n月j日"
YEAR_MONTH_FORMAT = "Y年n月"
SHORT_DATE_FORMAT = "Y-m-d"
# Date fields are <input type="date">, which shows ISO dates only: the first input format is
# the one a form writes a date back in (after an error, or from a link's ?period=).
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"]

# Chinese official usage writes months and days without leading zeros: 2026年3月1日, 3月1日.
DATE_FORMAT = "Y年n月j日"
MONTH_DAY_FORMAT = "n月j日"
YEAR_MONTH_FORMAT = "Y年n月"
SHORT_DATE_FORMAT = "Y-m-d"

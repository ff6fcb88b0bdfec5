-- code: 1510
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: UPN
-- message: UPN invalid (wrong check letter at character 1)
with digits as (
    select child_no, UPN_line, UPN from child where regexp_full_match(UPN, '.[0-9]{12}')
),
checked as (
    select *, substr('ABCDEFGHJKLMNPQRTUVWXYZ',
        1 + ((ascii(substr(UPN, 2, 1)) - 48) * 2 + (ascii(substr(UPN, 3, 1)) - 48) * 3 + (ascii(substr(UPN, 4, 1)) - 48) * 4 + (ascii(substr(UPN, 5, 1)) - 48) * 5 + (ascii(substr(UPN, 6, 1)) - 48) * 6 + (ascii(substr(UPN, 7, 1)) - 48) * 7 + (ascii(substr(UPN, 8, 1)) - 48) * 8 + (ascii(substr(UPN, 9, 1)) - 48) * 9 + (ascii(substr(UPN, 10, 1)) - 48) * 10 + (ascii(substr(UPN, 11, 1)) - 48) * 11 + (ascii(substr(UPN, 12, 1)) - 48) * 12 + (ascii(substr(UPN, 13, 1)) - 48) * 13) % 23, 1) as letter
    from digits
)
select child_no, UPN_line as line, UPN as value from checked where substr(UPN, 1, 1) <> letter

-- code: 1510
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: UPN
-- message: UPN invalid (wrong check letter at character 1)
-- Character k (2-13) is the k-th digit from the left of n, the twelve digits as one number.
with digits as (
    select child_no, UPN_line, UPN, substr(UPN, 2, 12)::bigint as n
    from child where regexp_full_match(UPN, '.[0-9]{12}')
),
checked as (
    select *, substr('ABCDEFGHJKLMNPQRTUVWXYZ', 1 + (
        (n // 100000000000 % 10) * 2 + (n // 10000000000 % 10) * 3 + (n // 1000000000 % 10) * 4 + (n // 100000000 % 10) * 5
        + (n // 10000000 % 10) * 6 + (n // 1000000 % 10) * 7 + (n // 100000 % 10) * 8 + (n // 10000 % 10) * 9
        + (n // 1000 % 10) * 10 + (n // 100 % 10) * 11 + (n // 10 % 10) * 12 + (n // 1 % 10) * 13
    ) % 23, 1) as letter
    from digits
)
select child_no, UPN_line as line, UPN as value from checked where substr(UPN, 1, 1) <> letter

-- code: 8630
-- severity: error
-- years: 2023-24 2024-25 2025-26
-- field: CINclosureDate
-- message: CIN Closure Date is before CIN Referral Date for the same CIN episode
select child_no, CINclosureDate_line as line, CINclosureDate as value from episode where closure < referral

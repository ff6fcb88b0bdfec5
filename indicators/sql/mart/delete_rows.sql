-- The mart rows about to be recomputed: these indicators' rows of one LA ($la), of the partnership
-- ($la = $partnership), or of every LA but the partnership ($la null).
delete from indicator_mart
where list_contains($indicator_ids, indicator_id)
    and (la_code = $la or ($la is null and la_code <> $partnership))

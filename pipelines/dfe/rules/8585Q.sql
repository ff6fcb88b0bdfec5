-- code: 8585Q
-- severity: query
-- years: 2023-24 2024-25 2025-26
-- field: ReasonForClosure
-- message: Please check and either amend or provide a reason: CIN episode shows Died as the Closure Reason, however child has no recorded Date of Death
select e.child_no, e.ReasonForClosure_line as line, e.ReasonForClosure as value
from episode e join child c using (child_no) where upper(e.ReasonForClosure) = 'RC2' and c.death is null

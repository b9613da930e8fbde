-- A raw statistic row that carries a value must map to a canonical indicator or be listed in
-- mapping_coverage with a reason a person accepts. Warns (a new copy of a template may bring an
-- unrecognized row: the finding is then in mapping_coverage, the build goes on).
{{ config(severity='warn') }}

with

coverage as (
    select * from {{ ref('mapping_coverage') }}
),

final as (
    select *
    from coverage
    where carries_value
        and not is_accepted
)

select * from final

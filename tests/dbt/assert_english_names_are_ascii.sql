-- Every English name of a unit and its provinces (dim_reporting_unit, macro unit_full_name_en) is
-- plain printable ASCII: a letter the fold in macro ascii_fold misses (or a decomposed, non-NFC name
-- in the register) shows up here. One row per unit and offending column.
with

units as (
    select * from {{ ref('dim_reporting_unit') }}
),

names as (
    select unit_code, 'unit_name_en' as column_name, unit_name_en as name_en from units
    union all
    select unit_code, 'unit_full_name_en', unit_full_name_en from units
    union all
    select unit_code, 'province_name_at_report_en', province_name_at_report_en from units
    union all
    select unit_code, 'province_name_today_en', province_name_today_en from units
),

final as (
    select *
    from names
    where name_en ~ '.*[^ -~].*'
)

select * from final

with

reporting_units as (
    select * from {{ ref('reporting_units') }}
),

with_parents as (
    select
        units.*,
        parents.unit_level as parent_unit_level,
        parents.parent_unit_code as grandparent_unit_code
    from reporting_units as units
    left join reporting_units as parents
        on units.parent_unit_code = parents.unit_code
),

with_hierarchy as (
    select
        *,
        case
            when unit_level = 'province' then unit_code
            when parent_unit_level = 'province' then parent_unit_code
            else grandparent_unit_code
        end as province_code_at_report,
        case
            when unit_level = 'district' then unit_code
            when unit_level = 'commune' then parent_unit_code
        end as district_code
    from with_parents
),

with_today as (
    select
        with_hierarchy.*,
        provinces.unit_name_vi as province_name_at_report,
        case
            when provinces.valid_to is null then provinces.unit_code
            when successors.valid_to is null then successors.unit_code
            else successors.successor_unit_code
        end as province_code_today
    from with_hierarchy
    left join reporting_units as provinces
        on with_hierarchy.province_code_at_report = provinces.unit_code
    left join reporting_units as successors
        on provinces.successor_unit_code = successors.unit_code
),

final as (
    select
        with_today.unit_code,
        with_today.unit_name_vi,
        with_today.unit_type_vi,
        {{ dbt.concat(["with_today.unit_type_vi", "' '", "with_today.unit_name_vi"]) }} as unit_full_name_vi,
        with_today.unit_level,
        with_today.parent_unit_code,
        with_today.district_code,
        with_today.gso_code,
        with_today.valid_from,
        with_today.valid_to,
        with_today.valid_to is null as is_active_today,
        with_today.successor_unit_code,
        with_today.province_code_at_report,
        with_today.province_name_at_report,
        with_today.province_code_today,
        provinces_today.unit_name_vi as province_name_today,
        with_today.note
    from with_today
    left join reporting_units as provinces_today
        on with_today.province_code_today = provinces_today.unit_code
)

select * from final

-- One row per template family: how many of the form's rows that carry a figure take part in at
-- least one cross-row rule (a subset chain, a rate with its numerator and denominator, parts of a
-- total, a figure stated twice, a yes/no or code list), from the reviewed relationship inventory
-- (seed rule_inventory). The other rows with a figure are checked for their type and domain only
-- (relationship type_only, with the reason); rows mapped to no indicator are listed
-- (relationship not_mapped) and a value written on them is a finding of rule unmapped_value.
with

inventory as (
    select * from {{ ref('rule_inventory') }}
),

crosswalks as (
    select * from {{ ref('int_crosswalks_unioned') }}
),

-- the template rows that carry a defined figure: mapped to an indicator by the crosswalk
rows_with_values as (
    select distinct
        template_family,
        template_row_id
    from crosswalks
    where indicator_code is not null
),

inventory_rows as (
    select
        inventory.template_family,
        inventory.relationship,
        inventory.rule_id,
        unnest(string_to_array(inventory.template_row_ids, '|')) as template_row_id
    from inventory
),

row_status as (
    select
        rows_with_values.template_family,
        rows_with_values.template_row_id,
        coalesce(bool_or(inventory_rows.relationship not in ('type_only', 'not_mapped')), false)
            as is_in_cross_row_rule,
        coalesce(bool_or(inventory_rows.relationship = 'type_only'), false) as is_type_only
    from rows_with_values
    left join inventory_rows
        on
            rows_with_values.template_family = inventory_rows.template_family
            and rows_with_values.template_row_id = inventory_rows.template_row_id
    group by rows_with_values.template_family, rows_with_values.template_row_id
),

not_mapped as (
    select
        template_family,
        count(distinct template_row_id) as rows_not_mapped
    from inventory_rows
    where relationship = 'not_mapped'
    group by template_family
),

per_family as (
    select
        template_family,
        count(*) as rows_with_values,
        sum(case when is_in_cross_row_rule then 1 else 0 end) as rows_in_cross_row_rule,
        sum(case when not is_in_cross_row_rule and is_type_only then 1 else 0 end) as rows_type_only,
        sum(case when not is_in_cross_row_rule and not is_type_only then 1 else 0 end) as rows_not_in_inventory
    from row_status
    group by template_family
),

coverage as (
    select
        template_family,
        cast(100.0 * rows_in_cross_row_rule / nullif(rows_with_values, 0) as numeric) as share_pct
    from per_family
),

final as (
    select
        per_family.template_family,
        cast(per_family.rows_with_values as {{ dbt.type_bigint() }}) as rows_with_values,
        cast(per_family.rows_in_cross_row_rule as {{ dbt.type_bigint() }}) as rows_in_cross_row_rule,
        cast(per_family.rows_type_only as {{ dbt.type_bigint() }}) as rows_type_only,
        cast(per_family.rows_not_in_inventory as {{ dbt.type_bigint() }}) as rows_not_in_inventory,
        cast(coalesce(not_mapped.rows_not_mapped, 0) as {{ dbt.type_bigint() }}) as rows_not_mapped,
        cast(round(coverage.share_pct, 1) as double precision) as cross_row_coverage_pct
    from per_family
    inner join coverage
        on per_family.template_family = coverage.template_family
    left join not_mapped
        on per_family.template_family = not_mapped.template_family
)

select * from final

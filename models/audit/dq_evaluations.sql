-- One row per report x rule: what was checked and how it came out (passed, failed, or skipped with
-- the reason: missing values, zero denominator, rule not applicable to the template family, ...),
-- so that an auditor sees what was checked, not only what failed.
with

checks as (
    select * from {{ ref('dq_rule_checks') }}
),

rules as (
    select * from {{ ref('dq_rules') }}
),

per_rule as (
    select
        report_id,
        rule_id,
        max(unit_code) as unit_code,
        max(period_key) as period_key,
        max(rule_kind) as rule_kind,
        max(severity) as severity,
        -- the observed values of every item, merged into one JSON object
        '{' || {{ dbt.listagg("substring(observed, 2, length(observed) - 2)", "', '", "order by item_code") }}
        || '}' as observed,
        cast(count(*) as {{ dbt.type_bigint() }}) as item_count,
        cast(sum(case when status = 'failed' then 1 else 0 end) as {{ dbt.type_bigint() }}) as failed_count,
        cast(sum(case when status = 'passed' then 1 else 0 end) as {{ dbt.type_bigint() }}) as passed_count,
        cast(sum(case when status = 'skipped' then 1 else 0 end) as {{ dbt.type_bigint() }}) as skipped_count,
        min(case when status = 'failed' then message end) as first_message,
        min(skip_reason) as first_skip_reason
    from checks
    group by report_id, rule_id
),

with_codes as (
    select
        per_rule.*,
        replace(rules.indicator_codes, '|', ',') as rule_indicator_codes
    from per_rule
    inner join rules
        on per_rule.rule_id = rules.rule_id
),

final as (
    select
        report_id || ':' || rule_id as evaluation_id,
        report_id,
        unit_code,
        period_key,
        rule_id,
        rule_kind,
        severity,
        case
            when failed_count > 0 then 'failed'
            when passed_count > 0 then 'passed'
            else 'skipped'
        end as status,
        case
            when failed_count = 0 and passed_count = 0 and item_count = 1 then first_skip_reason
            when failed_count = 0 and passed_count = 0
                then
                    'all ' || cast(item_count as {{ dbt.type_string() }}) || ' items skipped, e.g. '
                    || first_skip_reason
        end as skip_reason,
        rule_indicator_codes as indicator_codes,
        observed,
        case
            when failed_count > 0 and item_count = 1 then first_message
            when failed_count > 0
                then
                    cast(failed_count as {{ dbt.type_string() }}) || ' of '
                    || cast(item_count as {{ dbt.type_string() }}) || ' items failed, e.g. ' || first_message
            when passed_count > 0 and item_count = 1 then 'passed'
            when passed_count > 0
                then
                    cast(passed_count as {{ dbt.type_string() }}) || ' of '
                    || cast(item_count as {{ dbt.type_string() }}) || ' items passed, '
                    || cast(skipped_count as {{ dbt.type_string() }}) || ' skipped'
            else 'skipped'
        end as message,
        failed_count,
        passed_count,
        skipped_count
    from with_codes
)

select * from final

-- sqlfluff:indentation:template_blocks_indent:false
-- (the generated CTEs and columns sit where they would if written out, not one level into the jinja blocks)
-- One row per report x rule x checked item: the rules of the catalogue (seed dq_rules) applied to
-- the pivot dq_report_values. Whole-rule kinds (ordered_chain, rate_reconciliation, parts_total,
-- same_figure of two codes) have one item (item_code ''); domain, completeness, outlier and
-- same_figure with second=candidate have one item per indicator. The SQL is generated at run
-- time from the seed (dq_rule_catalogue -> dq_rule_check_sql -> the kind's dq_check_<kind>), with
-- the same rule_<kind>_* condition macros as the generic tests. dq_evaluations and dq_findings
-- read this model.
-- depends_on: {{ ref('dq_rules') }}, {{ ref('int_indicator_values_with_hand_entered') }},
-- {{ ref('int_indicator_values_ranked') }}, {{ ref('mapping_coverage') }}
{%- set rules = dq_rule_catalogue() %}
{%- set text_columns = [
    'rule_id', 'rule_kind', 'severity', 'item_code', 'indicator_codes', 'status',
    'skip_reason', 'observed', 'expected', 'message', 'message_vi',
] %}

with

report_values as (
    select * from {{ ref('dq_report_values') }}
),
{%- if rules %}

-- the long canonical values, for the rules checked indicator by indicator
indicator_values as (
    select * from {{ ref('int_indicator_values_with_hand_entered') }}
),

second_statements as (
    select * from {{ ref('int_indicator_values_ranked') }}
    where candidate_rank = 2 and is_reported
),

checks as (
    {%- for rule in rules %}
    {{ dq_rule_check_sql(rule) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),
{%- else %}

-- the catalogue is read at run time; while parsing (or before the seed is loaded), no checks
checks as (
    select
        report_id,
        unit_code,
        period_key,
        template_family,
        source_file,
        {%- for col in text_columns %}
        cast(null as {{ dbt.type_string() }}) as {{ col }},
        {%- endfor %}
        false as uses_second_statement
    from report_values
    where 1 = 0
),
{%- endif %}

final as (
    select
        {{ dbt.concat([
            "checks.report_id", "':'", "checks.rule_id",
            "case when checks.item_code = '' then '' else " ~ dbt.concat(["':'", "checks.item_code"]) ~ " end",
        ]) }} as check_id,
        checks.*
    from checks
)

select * from final

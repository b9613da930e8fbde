-- sqlfluff:indentation:template_blocks_indent:false
-- (the generated CTEs and columns sit where they would if written out, not one level into the jinja blocks)
-- One row per report: the canonical values (the document's, with the hand-entered facts of the
-- same unit x period joined where the document does not state them) of every indicator the rules
-- catalogue (seed dq_rules) uses, one column per indicator, with its lineage. Columns per
-- indicator, <slug> = the code with '.' -> '__' (see macro dq_slug):
--   <slug>               value_number when the value was reported (null otherwise)
--   <slug>__reported     the document has the row and its value cell is not empty
--   <slug>__raw          the raw value text
--   <slug>__line_start / <slug>__line_end   source lines of the value
--   <slug>__numerator / <slug>__denominator for rules with fraction=self
--   <slug>__second (+ __second_line_start / __second_line_end) for rules with second=candidate:
--                        the next reported statement of the same indicator in the report
-- The column list is generated at run time from the seed (run_query in dq_rule_catalogue); the
-- kinds that read the long values (value_type, unmapped_value) add no column; the counts a rate
-- rule adds to its numerator (params numerator_adds) get columns too.
-- depends_on: {{ ref('dq_rules') }}, {{ ref('int_indicator_values_ranked') }}, {{ ref('dim_reporting_unit') }}
{%- set rules = dq_rule_catalogue() %}
{%- set codes = [] %}
{%- set fraction_codes = [] %}
{%- set second_codes = [] %}
{%- for rule in rules if rule.rule_kind not in ('value_type', 'unmapped_value') %}
    {%- set added = rule.params.get('numerator_adds', '').split('|') | map('trim') | reject('equalto', '') | list %}
    {%- for code in rule.codes + added %}
        {%- if code not in codes %}{% do codes.append(code) %}{% endif %}
        {%- if rule.params.get('fraction', '') == 'self' and code not in fraction_codes %}
            {%- do fraction_codes.append(code) %}
        {%- endif %}
        {%- if rule.params.get('second', '') == 'candidate' and code not in second_codes %}
            {%- do second_codes.append(code) %}
        {%- endif %}
    {%- endfor %}
{%- endfor %}
{#- the per-indicator columns of the final select, in indicator order -#}
{%- set final_columns = [] %}
{%- for code in codes %}
    {%- set slug = dq_slug(code) %}
    {%- for suffix in ['', '__reported', '__raw', '__line_start', '__line_end'] %}
        {%- do final_columns.append('pivoted.' ~ slug ~ suffix) %}
    {%- endfor %}
    {%- if code in fraction_codes %}
        {%- do final_columns.extend(['pivoted.' ~ slug ~ '__numerator', 'pivoted.' ~ slug ~ '__denominator']) %}
    {%- endif %}
    {%- if code in second_codes %}
        {%- for suffix in ['__second', '__second_line_start', '__second_line_end'] %}
            {%- do final_columns.append('seconds.' ~ slug ~ suffix) %}
        {%- endfor %}
    {%- endif %}
{%- endfor %}

with

-- the document's facts with the hand-entered facts of the same unit x period (the document wins)
indicator_values as (
    select * from {{ ref('int_indicator_values_with_hand_entered') }}
),

reporting_units as (
    select * from {{ ref('dim_reporting_unit') }}
),

reports as (
    select
        report_id,
        max(unit_code) as unit_code,
        max(period_key) as period_key,
        max(template_family) as template_family,
        -- the document's file (a hand-entered fact beside it keeps its own file, see dq_findings)
        coalesce(max(case when value_origin = 'document' then source_file end), max(source_file)) as source_file
    from indicator_values
    group by report_id
),

pivoted as (
    select
        report_id,
        {%- for code in codes %}
        {%- set slug = dq_slug(code) %}
        max(case when indicator_code = '{{ code }}' and is_reported then value_number end) as {{ slug }},
        coalesce(max(case when indicator_code = '{{ code }}' and is_reported then 1 else 0 end), 0) = 1
            as {{ slug }}__reported,
        max(case when indicator_code = '{{ code }}' then raw_value end) as {{ slug }}__raw,
        max(case when indicator_code = '{{ code }}' then source_line_start end) as {{ slug }}__line_start,
        max(case when indicator_code = '{{ code }}' then source_line_end end) as {{ slug }}__line_end,
        {%- if code in fraction_codes %}
        max(case when indicator_code = '{{ code }}' and is_reported then numerator end) as {{ slug }}__numerator,
        max(case when indicator_code = '{{ code }}' and is_reported then denominator end) as {{ slug }}__denominator,
        {%- endif %}
        {%- endfor %}
        count(*) as value_count
    from indicator_values
    group by report_id
),

{%- if second_codes %}

second_statements as (
    select
        report_id,
        indicator_code,
        value_number,
        source_line_start,
        source_line_end
    from {{ ref('int_indicator_values_ranked') }}
    where candidate_rank = 2 and is_reported
),

seconds as (
    select
        report_id,
        {%- for code in second_codes %}
        {%- set slug = dq_slug(code) %}
        max(case when indicator_code = '{{ code }}' then value_number end) as {{ slug }}__second,
        max(case when indicator_code = '{{ code }}' then source_line_start end) as {{ slug }}__second_line_start,
        max(case when indicator_code = '{{ code }}' then source_line_end end) as {{ slug }}__second_line_end,
        {%- endfor %}
        count(*) as second_statement_count
    from second_statements
    group by report_id
),
{%- endif %}

final as (
    select
        reports.report_id,
        reports.unit_code,
        reports.period_key,
        -- province, district or commune: the kind of unit outliers are compared within
        coalesce(reporting_units.unit_level, 'unknown') as unit_level,
        -- Y, Q, H or M: the period type outliers are compared within
        substring({{ dbt.split_part('reports.period_key', "'-'", 2) }}, 1, 1) as period_type,
        reports.template_family,
        reports.source_file{% for column in final_columns %},
        {{ column }}{% endfor %}
    from reports
    inner join pivoted
        on reports.report_id = pivoted.report_id
    left join reporting_units
        on reports.unit_code = reporting_units.unit_code
    {%- if second_codes %}
    left join seconds
        on reports.report_id = seconds.report_id
    {%- endif %}
)

select * from final

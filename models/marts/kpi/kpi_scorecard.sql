-- One row per reporting unit x period with the headline KPIs side by side: value, how it was
-- obtained, the change against the unit's previous comparable period (with that period, or the
-- reason it cannot be compared) and the rank among units of the same level, province and period.
{%- set headline_kpis = [
    'on_time_rate',
    'resolution_rate',
    'online_share',
    'e_document_share',
    'plan_completion_rate',
    'disbursement_rate',
] %}

with

headline_values as (
    select * from {{ ref('kpi_headline_values') }}
),

report_context as (
    select * from {{ ref('kpi_report_context') }}
),

pivoted as (
    select
        report_id,
        {%- for kpi in headline_kpis %}
        max(case when kpi_code = '{{ kpi }}' then kpi_value end) as {{ kpi }},
        max(case when kpi_code = '{{ kpi }}' then kpi_basis end) as {{ kpi }}_basis,
        max(case when kpi_code = '{{ kpi }}' then change_vs_previous end) as {{ kpi }}_change,
        max(case when kpi_code = '{{ kpi }}' then compared_with_period_key end) as {{ kpi }}_compared_with,
        max(case when kpi_code = '{{ kpi }}' then change_not_comparable_reason end)
            as {{ kpi }}_not_comparable_reason,
        max(case when kpi_code = '{{ kpi }}' then rank_in_group end) as {{ kpi }}_rank,
        max(case when kpi_code = '{{ kpi }}' then rank_group_size end) as {{ kpi }}_rank_of,
        {%- endfor %}
        cast(sum(case when kpi_value is not null then 1 else 0 end) as integer) as headline_kpis_available
    from headline_values
    group by report_id
),

final as (
    select
        {{ dbt.concat(["report_context.unit_code", "':'", "report_context.period_key"]) }} as scorecard_id,
        report_context.report_id,
        report_context.unit_code,
        report_context.unit_name,
        report_context.unit_level,
        report_context.province_code_at_report,
        report_context.province_name_at_report,
        report_context.province_code_today,
        report_context.period_key,
        report_context.period_type,
        report_context.period_year,
        report_context.period_end_date,
        report_context.template_family,
        {%- for kpi in headline_kpis %}
        pivoted.{{ kpi }},
        pivoted.{{ kpi }}_basis,
        pivoted.{{ kpi }}_change,
        pivoted.{{ kpi }}_compared_with,
        pivoted.{{ kpi }}_not_comparable_reason,
        pivoted.{{ kpi }}_rank,
        pivoted.{{ kpi }}_rank_of,
        {%- endfor %}
        pivoted.headline_kpis_available,
        report_context.source_file
    from report_context
    inner join pivoted
        on report_context.report_id = pivoted.report_id
)

select * from final

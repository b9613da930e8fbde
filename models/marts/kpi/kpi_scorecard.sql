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
{#- headline_values column -> suffix of its column per KPI in the scorecard -#}
{%- set kpi_columns = [
    ('kpi_value', ''),
    ('kpi_basis', '_basis'),
    ('change_vs_previous', '_change'),
    ('compared_with_period_key', '_compared_with'),
    ('change_not_comparable_reason', '_not_comparable_reason'),
    ('rank_in_group', '_rank'),
    ('rank_group_size', '_rank_of'),
] %}

with

headline_values as (
    select * from {{ ref('kpi_headline_values') }}
),

report_context as (
    select * from {{ ref('int_kpi_report_context') }}
),

pivoted as (
    select
        report_id,
        {{ kpi_pivot_columns(headline_kpis, 'kpi_code', kpi_columns) }},
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
        report_context.unit_name_vi,
        report_context.unit_name_en,
        report_context.unit_level,
        report_context.unit_level_name_vi,
        report_context.unit_level_name_en,
        report_context.province_code_at_report,
        report_context.province_name_at_report,
        report_context.province_name_vi,
        report_context.province_name_en,
        report_context.province_code_today,
        report_context.province_name_today,
        report_context.province_name_today_en,
        report_context.period_key,
        report_context.period_type,
        report_context.period_year,
        report_context.period_end_date,
        report_context.template_family,
        {%- for kpi in headline_kpis %}
            {%- for _, suffix in kpi_columns %}
                pivoted.{{ kpi }}{{ suffix }},
            {%- endfor %}
        {%- endfor %}
        pivoted.headline_kpis_available,
        report_context.source_file
    from report_context
    inner join pivoted
        on report_context.report_id = pivoted.report_id
)

select * from final

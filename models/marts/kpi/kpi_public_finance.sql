-- One row per report of public finance: public investment disbursement (plan, disbursed, rate
-- computed vs reported) and the financial autonomy of public service units by category.
{%- set measures = [
    ('investment_plan_amount', 'public_finance.investment.plan_amount'),
    ('investment_disbursed_amount', 'public_finance.investment.disbursed_amount'),
    ('disbursement_rate', 'public_finance.investment.disbursement_rate'),
    ('district_autonomy', 'public_finance.district_autonomy'),
    ('admin_orgs_autonomous', 'public_finance.admin_orgs_autonomous'),
    ('psu_total', 'public_finance.psu.total'),
    ('psu_self_funded_recurrent_and_investment', 'public_finance.psu.self_funded_recurrent_and_investment'),
    ('psu_self_funded_recurrent', 'public_finance.psu.self_funded_recurrent'),
    ('psu_partly_self_funded', 'public_finance.psu.partly_self_funded'),
    ('psu_partly_self_funded_70_100', 'public_finance.psu.partly_self_funded_70_100'),
    ('psu_partly_self_funded_30_70', 'public_finance.psu.partly_self_funded_30_70'),
    ('psu_partly_self_funded_10_30', 'public_finance.psu.partly_self_funded_10_30'),
    ('psu_state_funded', 'public_finance.psu.state_funded'),
    ('psu_converted_to_companies', 'public_finance.psu.converted_to_companies'),
] %}
{%- set psu_categories = [
    'psu_self_funded_recurrent_and_investment',
    'psu_self_funded_recurrent',
    'psu_partly_self_funded',
    'psu_state_funded',
] %}

with

measure_inputs as (
    select * from {{ ref('kpi_measure_inputs') }}
),

report_context as (
    select * from {{ ref('kpi_report_context') }}
),

pivoted as (
    select
        report_id,
        {%- for alias, code in measures %}
        max(case when indicator_code = '{{ code }}' then measure_value end) as {{ alias }},
        {%- endfor %}
        max(case when indicator_code = 'public_finance.investment.disbursement_rate' then qualifier end)
            as disbursement_rate_qualifier,
        max(case when indicator_code = 'public_finance.investment.plan_amount' then source_line_start end)
            as investment_plan_amount_source_line,
        max(case when indicator_code = 'public_finance.investment.disbursed_amount' then source_line_start end)
            as investment_disbursed_amount_source_line,
        max(case when indicator_code = 'public_finance.psu.total' then source_line_start end) as psu_total_source_line,
        {{ dbt.bool_or("is_cumulative and indicator_code like 'public_finance.investment.%'") }}
            as is_investment_cumulative,
        max(case when indicator_code like 'public_finance.investment.%' then window_months end)
            as investment_window_months,
        sum(case when measure_value is not null then 1 else 0 end) as reported_value_count
    from measure_inputs
    where indicator_code in (
        {%- for alias, code in measures %}
        '{{ code }}'{{ ',' if not loop.last }}
        {%- endfor %}
    )
    group by report_id
),

final as (
    select
        pivoted.report_id,
        report_context.unit_code,
        report_context.unit_name,
        report_context.unit_level,
        report_context.province_code_at_report,
        report_context.period_key,
        report_context.period_type,
        report_context.period_end_date,
        pivoted.investment_plan_amount as investment_plan_million_vnd,
        pivoted.investment_disbursed_amount as investment_disbursed_million_vnd,
        100.0 * pivoted.investment_disbursed_amount / nullif(pivoted.investment_plan_amount, 0)
            as disbursement_rate_computed,
        pivoted.disbursement_rate as disbursement_rate_reported,
        pivoted.disbursement_rate_qualifier as disbursement_rate_reported_qualifier,
        100.0 * pivoted.investment_disbursed_amount / nullif(pivoted.investment_plan_amount, 0)
            - pivoted.disbursement_rate as disbursement_rate_difference,
        case
            when pivoted.investment_plan_amount is null then 'investment plan not reported'
            when pivoted.investment_plan_amount = 0 then 'no investment planned'
            when pivoted.investment_disbursed_amount is null then 'amount disbursed not reported'
        end as disbursement_rate_null_reason,
        coalesce(pivoted.is_investment_cumulative, false) as is_investment_cumulative,
        pivoted.investment_window_months,
        pivoted.district_autonomy = 1 as applies_district_autonomy,
        pivoted.admin_orgs_autonomous,
        {%- for alias, code in measures if alias.startswith('psu_') %}
        pivoted.{{ alias }},
        {%- endfor %}
        {%- for category in psu_categories %}
        coalesce(pivoted.{{ category }}, 0){{ ' +' if not loop.last }}
        {%- endfor %}
            as psu_categories_reported_sum,
        {%- for category in psu_categories %}
        (case when pivoted.{{ category }} is not null then 1 else 0 end){{ ' +' if not loop.last }}
        {%- endfor %}
            as psu_categories_reported_count,
        report_context.template_family,
        report_context.source_file,
        pivoted.investment_plan_amount_source_line,
        pivoted.investment_disbursed_amount_source_line,
        pivoted.psu_total_source_line
    from pivoted
    inner join report_context
        on pivoted.report_id = report_context.report_id
    where pivoted.reported_value_count > 0
)

select * from final

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

with

measure_inputs as (
    select * from {{ ref('int_kpi_measure_inputs') }}
),

report_context as (
    select * from {{ ref('int_kpi_report_context') }}
),

pivoted as (
    select
        report_id,
        {{ kpi_pivot_measures(measures) }},
        {{ dbt.bool_or("is_cumulative and indicator_code like 'public_finance.investment.%'") }}
            as is_investment_cumulative,
        max(case when indicator_code like 'public_finance.investment.%' then window_months end)
            as investment_window_months
    from measure_inputs
    where {{ kpi_measure_filter(measures) }}
    group by report_id
),

final as (
    select
        pivoted.report_id,
        {{ kpi_report_context_columns() }},
        pivoted.investment_plan_amount as investment_plan_million_vnd,
        pivoted.investment_disbursed_amount as investment_disbursed_million_vnd,
        {{ kpi_rate_vs_reported(
            'disbursement_rate',
            numerator='pivoted.investment_disbursed_amount',
            denominator='pivoted.investment_plan_amount',
            reported='pivoted.disbursement_rate',
            reported_qualifier='pivoted.disbursement_rate_qualifier',
            denominator_missing='investment plan not reported',
            denominator_zero='no investment planned',
            numerator_missing='amount disbursed not reported',
        ) }},
        coalesce(pivoted.is_investment_cumulative, false) as is_investment_cumulative,
        pivoted.investment_window_months,
        pivoted.district_autonomy = 1 as applies_district_autonomy,
        pivoted.admin_orgs_autonomous,
        pivoted.psu_total,
        pivoted.psu_self_funded_recurrent_and_investment,
        pivoted.psu_self_funded_recurrent,
        pivoted.psu_partly_self_funded,
        pivoted.psu_partly_self_funded_70_100,
        pivoted.psu_partly_self_funded_30_70,
        pivoted.psu_partly_self_funded_10_30,
        pivoted.psu_state_funded,
        pivoted.psu_converted_to_companies,
        -- the four autonomy categories (the 70-100 / 30-70 / 10-30 bands detail partly_self_funded)
        coalesce(pivoted.psu_self_funded_recurrent_and_investment, 0)
        + coalesce(pivoted.psu_self_funded_recurrent, 0)
        + coalesce(pivoted.psu_partly_self_funded, 0)
        + coalesce(pivoted.psu_state_funded, 0) as psu_categories_reported_sum,
        (case when pivoted.psu_self_funded_recurrent_and_investment is not null then 1 else 0 end)
        + (case when pivoted.psu_self_funded_recurrent is not null then 1 else 0 end)
        + (case when pivoted.psu_partly_self_funded is not null then 1 else 0 end)
        + (case when pivoted.psu_state_funded is not null then 1 else 0 end) as psu_categories_reported_count,
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

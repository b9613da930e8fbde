-- One row per province x period x additive measure (counts, amounts) summed over the district
-- units that reported it, and per catalogue rate recomputed from the summed numerator and
-- denominator of the units that reported both. Rates are never summed or averaged, a
-- cumulative figure is never added to a figure of one period, commune reports are not added
-- (their district's report already holds the commune-level figures): seeds/comparability_rules.csv.
with

measure_inputs as (
    select * from {{ ref('int_kpi_measure_inputs') }}
),

report_context as (
    select * from {{ ref('int_kpi_report_context') }}
),

procedure_processing as (
    select * from {{ ref('kpi_procedure_processing') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

district_reports as (
    select *
    from report_context
    where
        unit_level = 'district'
        and province_code_at_report is not null
),

additive_values as (
    select
        measure_inputs.report_id,
        district_reports.unit_code,
        district_reports.province_code_at_report,
        district_reports.period_key,
        measure_inputs.indicator_code,
        -- the on-time count harmonized to "early included" (kpi_procedure_processing)
        case
            when measure_inputs.indicator_code like 'procedures.%.dossiers_resolved_on_time'
                then procedure_processing.dossiers_resolved_on_time
            else measure_inputs.measure_value
        end as measure_value,
        measure_inputs.is_exact,
        measure_inputs.is_cumulative
    from measure_inputs
    inner join district_reports
        on measure_inputs.report_id = district_reports.report_id
    left join procedure_processing
        on
            measure_inputs.report_id = procedure_processing.report_id
            and measure_inputs.admin_level = procedure_processing.processing_level
    where
        measure_inputs.value_type in ('count', 'amount_million_vnd')
        and measure_inputs.measure_value is not null
),

summed as (
    select
        province_code_at_report,
        period_key,
        indicator_code as measure_code,
        'sum' as measure_kind,
        sum(measure_value) as summed_value,
        cast(null as double precision) as numerator_sum,
        cast(null as double precision) as denominator_sum,
        cast(count(*) as integer) as reporting_unit_count,
        {{ dbt.listagg("unit_code", "', '", "order by unit_code") }} as reporting_unit_codes,
        {{ dbt.bool_or("is_cumulative") }} as any_cumulative,
        {{ dbt.bool_or("not is_cumulative") }} as any_period_figure,
        {{ dbt.bool_or("not is_exact") }} as any_bound
    from additive_values
    group by province_code_at_report, period_key, indicator_code
),

rate_pairs as (
    select
        numerators.province_code_at_report,
        numerators.period_key,
        indicators.indicator_code,
        numerators.unit_code,
        numerators.measure_value as numerator_value,
        denominators.measure_value as denominator_value,
        numerators.is_cumulative as numerator_is_cumulative,
        denominators.is_cumulative as denominator_is_cumulative,
        numerators.is_exact and denominators.is_exact as is_exact
    from indicators
    inner join additive_values as numerators
        on indicators.numerator_indicator_code = numerators.indicator_code
    inner join additive_values as denominators
        on
            indicators.denominator_indicator_code = denominators.indicator_code
            and numerators.report_id = denominators.report_id
    where indicators.is_rate
),

recomputed as (
    select
        province_code_at_report,
        period_key,
        indicator_code as measure_code,
        'rate_recomputed' as measure_kind,
        {{ kpi_percent('sum(numerator_value)', 'sum(denominator_value)') }} as summed_value,
        sum(numerator_value) as numerator_sum,
        sum(denominator_value) as denominator_sum,
        cast(count(*) as integer) as reporting_unit_count,
        {{ dbt.listagg("unit_code", "', '", "order by unit_code") }} as reporting_unit_codes,
        {{ dbt.bool_or("numerator_is_cumulative or denominator_is_cumulative") }} as any_cumulative,
        {{ dbt.bool_or("not numerator_is_cumulative or not denominator_is_cumulative") }} as any_period_figure,
        {{ dbt.bool_or("not is_exact") }} as any_bound
    from rate_pairs
    group by province_code_at_report, period_key, indicator_code
),

rates_with_cumulative_inputs as (
    -- a rate whose numerator and denominator differ in cumulative basis (plan tasks completed
    -- year to date over the year's plan) is defined that way: only mixing across units counts
    select
        province_code_at_report,
        period_key,
        indicator_code as measure_code,
        count(distinct {{ dbt.concat([
            "case when numerator_is_cumulative then 'c' else 'p' end",
            "case when denominator_is_cumulative then 'c' else 'p' end",
        ]) }}) as basis_count
    from rate_pairs
    group by province_code_at_report, period_key, indicator_code
),

rolled_up as (
    select
        summed.*,
        summed.any_cumulative and summed.any_period_figure as mixes_cumulative_and_period
    from summed

    union all

    select
        recomputed.*,
        rates_with_cumulative_inputs.basis_count > 1 as mixes_cumulative_and_period
    from recomputed
    inner join rates_with_cumulative_inputs
        on
            recomputed.province_code_at_report = rates_with_cumulative_inputs.province_code_at_report
            and recomputed.period_key = rates_with_cumulative_inputs.period_key
            and recomputed.measure_code = rates_with_cumulative_inputs.measure_code
),

checked as (
    select
        *,
        not mixes_cumulative_and_period and not any_bound as is_summable
    from rolled_up
),

provinces as (
    select distinct
        province_code_at_report,
        province_name_at_report,
        province_name_en,
        province_code_today,
        province_name_today,
        province_name_today_en
    from report_context
),

periods as (
    select distinct
        period_key,
        period_type,
        period_end_date
    from report_context
),

final as (
    select
        {{ dbt.concat([
            "rolled_up.province_code_at_report", "':'", "rolled_up.period_key", "':'", "rolled_up.measure_code",
        ]) }} as province_rollup_id,
        rolled_up.province_code_at_report as province_code,
        provinces.province_name_at_report as province_name,
        provinces.province_name_at_report as province_name_vi,
        provinces.province_name_en,
        provinces.province_code_today,
        provinces.province_name_today,
        provinces.province_name_today_en,
        rolled_up.period_key,
        periods.period_type,
        periods.period_end_date,
        rolled_up.measure_code,
        indicators.name_en as measure_name_en,
        indicators.name_vi as measure_name_vi,
        indicators.reform_area,
        indicators.admin_level,
        {{ admin_level_name('indicators.admin_level', 'vi') }} as admin_level_name_vi,
        {{ admin_level_name('indicators.admin_level', 'en') }} as admin_level_name_en,
        rolled_up.measure_kind,
        case when rolled_up.measure_kind = 'rate_recomputed' then 'percent' else indicators.unit end as unit,
        case when rolled_up.is_summable then rolled_up.summed_value end as rollup_value,
        case when rolled_up.is_summable then rolled_up.numerator_sum end as numerator_sum,
        case when rolled_up.is_summable then rolled_up.denominator_sum end as denominator_sum,
        rolled_up.reporting_unit_count,
        rolled_up.reporting_unit_codes,
        rolled_up.any_cumulative as is_cumulative,
        case
            when rolled_up.mixes_cumulative_and_period
                then 'mixes cumulative (year-to-date) figures with figures of the period: never added together'
            when rolled_up.any_bound then 'includes a value written as a bound: no exact sum'
            when rolled_up.measure_kind = 'rate_recomputed' and rolled_up.denominator_sum = 0
                then 'the summed denominator is zero'
        end as rollup_not_comparable_reason
    from checked as rolled_up
    inner join provinces
        on rolled_up.province_code_at_report = provinces.province_code_at_report
    inner join periods
        on rolled_up.period_key = periods.period_key
    inner join indicators
        on rolled_up.measure_code = indicators.indicator_code
)

select * from final

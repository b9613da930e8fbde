-- One row per report x level (district / commune) of the administrative procedure dossiers:
-- counts as reported, the on-time count harmonized to "early included", late and pending
-- dossiers, rates computed from the counts beside the reported rate, and the source lines.
{%- set measures = [
    'dossiers_received',
    'dossiers_resolved',
    'dossiers_resolved_on_time',
    'dossiers_resolved_early',
    'on_time_rate',
] %}
{%- set measure_codes = [] %}
{%- for measure in measures %}
    {%- do measure_codes.append('procedures.district.' ~ measure) %}
    {%- do measure_codes.append('procedures.commune.' ~ measure) %}
{%- endfor %}

with

measure_inputs as (
    select * from {{ ref('int_kpi_measure_inputs') }}
),

report_context as (
    select * from {{ ref('int_kpi_report_context') }}
),

comparability_rules as (
    select * from {{ ref('comparability_rules') }}
),

early_excluded_rules as (
    select
        template_family,
        indicator_code_pattern
    from comparability_rules
    where rule_id = 'hrm_on_time_excludes_early'
),

level_values as (
    select
        measure_inputs.*,
        measure_inputs.admin_level as processing_level,
        replace(
            measure_inputs.indicator_code,
            {{ dbt.concat(["'procedures.'", "measure_inputs.admin_level", "'.'"]) }},
            ''
        ) as measure_name,
        exists(
            select 1
            from early_excluded_rules
            where
                early_excluded_rules.template_family = measure_inputs.template_family
                and measure_inputs.indicator_code like early_excluded_rules.indicator_code_pattern
        ) as is_on_time_without_early
    from measure_inputs
    where
        measure_inputs.admin_level in ('district', 'commune')
        and {{ kpi_measure_filter(measure_codes, key_column='measure_inputs.indicator_code') }}
),

pivoted as (
    select
        report_id,
        processing_level,
        {{ kpi_pivot_measures(measures, key_column='measure_name') }},
        {{ dbt.bool_or("measure_name = 'dossiers_resolved_on_time' and is_on_time_without_early") }}
            as is_on_time_without_early,
        {{ dbt.bool_or("is_cumulative") }} as is_cumulative,
        {{ dbt.bool_or("is_cumulative and measure_name <> 'dossiers_received'") }} as is_on_time_cumulative,
        {{ dbt.bool_or("is_cumulative and measure_name in ('dossiers_received', 'dossiers_resolved')") }}
            as is_resolution_cumulative,
        max(window_months) as window_months,
        {{ dbt.listagg("distinct comparability_note", "' | '", "order by comparability_note") }}
            as comparability_note
    from level_values
    group by report_id, processing_level
),

harmonized as (
    select
        *,
        dossiers_resolved_on_time as dossiers_resolved_on_time_as_reported,
        case
            when dossiers_resolved_on_time is null then null
            when is_on_time_without_early and dossiers_resolved_early is not null
                then dossiers_resolved_on_time + dossiers_resolved_early
            else dossiers_resolved_on_time
        end as dossiers_resolved_on_time_harmonized,
        case
            when dossiers_resolved_on_time is null then null
            when is_on_time_without_early and dossiers_resolved_early is not null then 'on_time_plus_early'
            else 'as_reported'
        end as on_time_count_basis
    from pivoted
    where reported_value_count > 0
),

computed as (
    select
        *,
        case
            when dossiers_resolved >= dossiers_resolved_on_time_harmonized
                then dossiers_resolved - dossiers_resolved_on_time_harmonized
        end as dossiers_resolved_late,
        case
            when dossiers_received >= dossiers_resolved then dossiers_received - dossiers_resolved
        end as dossiers_pending
    from harmonized
),

final as (
    select
        {{ dbt.concat(["computed.report_id", "':'", "computed.processing_level"]) }} as procedure_processing_id,
        computed.report_id,
        {{ kpi_report_context_columns() }},
        computed.processing_level,
        {{ admin_level_name('computed.processing_level', 'vi') }} as processing_level_name_vi,
        {{ admin_level_name('computed.processing_level', 'en') }} as processing_level_name_en,
        computed.dossiers_received,
        computed.dossiers_resolved,
        computed.dossiers_resolved_on_time_harmonized as dossiers_resolved_on_time,
        computed.dossiers_resolved_on_time_as_reported,
        computed.on_time_count_basis,
        computed.dossiers_resolved_early,
        computed.dossiers_resolved_late,
        case
            when computed.dossiers_resolved is null or computed.dossiers_resolved_on_time_harmonized is null
                then 'needs both the resolved and the on-time count'
            when computed.dossiers_resolved_late is null
                then 'on-time count exceeds the resolved count'
        end as dossiers_resolved_late_null_reason,
        computed.dossiers_pending,
        case
            when computed.dossiers_received is null or computed.dossiers_resolved is null
                then 'needs both the received and the resolved count'
            when computed.dossiers_pending is null
                then 'more dossiers resolved than received in the period (backlog of earlier periods resolved)'
        end as dossiers_pending_null_reason,
        {{ kpi_rate_vs_reported(
            'on_time_rate',
            numerator='computed.dossiers_resolved_on_time_harmonized',
            denominator='computed.dossiers_resolved',
            reported='computed.on_time_rate',
            reported_qualifier='computed.on_time_rate_qualifier',
            denominator_missing='dossiers resolved not reported',
            denominator_zero='no dossier resolved',
            numerator_missing='on-time count not reported',
        ) }},
        {{ kpi_percent('computed.dossiers_resolved', 'computed.dossiers_received') }} as resolution_rate_computed,
        {{ kpi_rate_null_reason(
            numerator='computed.dossiers_resolved',
            denominator='computed.dossiers_received',
            denominator_missing='dossiers received not reported',
            denominator_zero='no dossier received',
            numerator_missing='dossiers resolved not reported',
        ) }} as resolution_rate_null_reason,
        computed.is_cumulative,
        computed.is_on_time_cumulative,
        computed.is_resolution_cumulative,
        computed.window_months,
        report_context.template_family,
        report_context.source_file,
        computed.dossiers_received_source_line,
        computed.dossiers_resolved_source_line,
        computed.dossiers_resolved_on_time_source_line,
        computed.dossiers_resolved_early_source_line,
        computed.on_time_rate_source_line,
        computed.comparability_note
    from computed
    inner join report_context
        on computed.report_id = report_context.report_id
)

select * from final

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

with

measure_inputs as (
    select * from {{ ref('kpi_measure_inputs') }}
),

report_context as (
    select * from {{ ref('kpi_report_context') }}
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
        exists (
            select 1
            from early_excluded_rules
            where early_excluded_rules.template_family = measure_inputs.template_family
                and measure_inputs.indicator_code like early_excluded_rules.indicator_code_pattern
        ) as is_on_time_without_early
    from measure_inputs
    where measure_inputs.admin_level in ('district', 'commune')
        and measure_inputs.indicator_code in (
            {%- for measure in measures %}
            'procedures.district.{{ measure }}', 'procedures.commune.{{ measure }}'{{ ',' if not loop.last }}
            {%- endfor %}
        )
),

pivoted as (
    select
        report_id,
        processing_level,
        {%- for measure in measures %}
        max(case when measure_name = '{{ measure }}' then measure_value end) as {{ measure }},
        max(case when measure_name = '{{ measure }}' then source_line_start end) as {{ measure }}_source_line,
        {%- endfor %}
        max(case when measure_name = 'on_time_rate' then qualifier end) as on_time_rate_qualifier,
        {{ dbt.bool_or("measure_name = 'dossiers_resolved_on_time' and is_on_time_without_early") }}
            as is_on_time_without_early,
        {{ dbt.bool_or("is_cumulative") }} as is_cumulative,
        {{ dbt.bool_or("is_cumulative and measure_name <> 'dossiers_received'") }} as is_on_time_cumulative,
        {{ dbt.bool_or("is_cumulative and measure_name in ('dossiers_received', 'dossiers_resolved')") }}
            as is_resolution_cumulative,
        max(window_months) as window_months,
        sum(case when measure_value is not null then 1 else 0 end) as reported_value_count,
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
        harmonized.*,
        case
            when dossiers_resolved >= dossiers_resolved_on_time_harmonized
                then dossiers_resolved - dossiers_resolved_on_time_harmonized
        end as dossiers_resolved_late,
        case
            when dossiers_received >= dossiers_resolved then dossiers_received - dossiers_resolved
        end as dossiers_pending,
        100.0 * dossiers_resolved_on_time_harmonized / nullif(dossiers_resolved, 0) as on_time_rate_computed,
        100.0 * dossiers_resolved / nullif(dossiers_received, 0) as resolution_rate_computed
    from harmonized
),

final as (
    select
        {{ dbt.concat(["computed.report_id", "':'", "computed.processing_level"]) }} as procedure_processing_id,
        computed.report_id,
        report_context.unit_code,
        report_context.unit_name,
        report_context.unit_level,
        report_context.province_code_at_report,
        report_context.period_key,
        report_context.period_type,
        report_context.period_end_date,
        computed.processing_level,
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
        computed.on_time_rate_computed,
        computed.on_time_rate as on_time_rate_reported,
        computed.on_time_rate_qualifier as on_time_rate_reported_qualifier,
        computed.on_time_rate_computed - computed.on_time_rate as on_time_rate_difference,
        case
            when computed.dossiers_resolved is null then 'dossiers resolved not reported'
            when computed.dossiers_resolved = 0 then 'no dossier resolved'
            when computed.dossiers_resolved_on_time_harmonized is null then 'on-time count not reported'
        end as on_time_rate_null_reason,
        computed.resolution_rate_computed,
        case
            when computed.dossiers_received is null then 'dossiers received not reported'
            when computed.dossiers_received = 0 then 'no dossier received'
            when computed.dossiers_resolved is null then 'dossiers resolved not reported'
        end as resolution_rate_null_reason,
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

-- One row per report of the online public services, harmonized across the two vocabularies:
-- "mức độ 3 / mức độ 4" (until Decree 42/2022/NĐ-CP) shown as partial / full online service,
-- with a comparability note on every row whose values come from level 3/4.
{%- set measures = [
    ('partial_procedures_eligible', 'online_services.partial.procedures_eligible'),
    ('partial_procedures_provided', 'online_services.partial.procedures_provided'),
    ('partial_procedures_with_online_dossiers', 'online_services.partial.procedures_with_online_dossiers'),
    ('partial_provision_rate', 'online_services.partial.provision_rate'),
    ('partial_online_dossier_rate', 'online_services.partial.online_dossier_rate'),
    ('full_procedures_eligible', 'online_services.full.procedures_eligible'),
    ('full_procedures_provided', 'online_services.full.procedures_provided'),
    ('full_procedures_with_online_dossiers', 'online_services.full.procedures_with_online_dossiers'),
    ('full_provision_rate', 'online_services.full.provision_rate'),
    ('full_online_dossier_rate', 'online_services.full.online_dossier_rate'),
    ('total_procedures_provided', 'online_services.total.procedures_provided'),
    ('dossiers_received_total', 'online_services.total.dossiers_received'),
    ('dossiers_received_online', 'online_services.total.dossiers_received_online'),
    ('online_dossier_rate', 'online_services.total.online_dossier_rate'),
] %}

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

level_3_4_rules as (
    select
        template_family,
        min(rule_text) as rule_text
    from comparability_rules
    where rule_id = 'hrm_online_level_3_4'
    group by template_family
),

online_values as (
    select *
    from measure_inputs
    where {{ kpi_measure_filter(measures) }}
),

pivoted as (
    select
        report_id,
        {{ kpi_pivot_measures(measures) }},
        {{ dbt.bool_or("is_cumulative and indicator_code like 'online_services.total.%'") }}
            as is_cumulative,
        max(case when indicator_code like 'online_services.total.%' then window_months end) as window_months,
        min(source_line_start) as first_source_line,
        max(source_line_end) as last_source_line
    from online_values
    group by report_id
),

final as (
    select
        pivoted.report_id,
        {{ kpi_report_context_columns() }},
        case when level_3_4_rules.template_family is not null then 'level_3_4' else 'partial_full' end
            as service_level_vocabulary,
        pivoted.partial_procedures_eligible,
        pivoted.partial_procedures_provided,
        pivoted.partial_procedures_with_online_dossiers,
        pivoted.full_procedures_eligible,
        pivoted.full_procedures_provided,
        pivoted.full_procedures_with_online_dossiers,
        pivoted.total_procedures_provided,
        pivoted.dossiers_received_total,
        pivoted.dossiers_received_online,
        case
            when pivoted.partial_procedures_provided is not null and pivoted.full_procedures_provided is not null
                then pivoted.partial_procedures_provided + pivoted.full_procedures_provided
        end as partial_plus_full_procedures_provided,
        {{ kpi_percent('pivoted.partial_procedures_provided', 'pivoted.partial_procedures_eligible') }}
            as partial_provision_rate_computed,
        pivoted.partial_provision_rate as partial_provision_rate_reported,
        {{ kpi_percent('pivoted.full_procedures_provided', 'pivoted.full_procedures_eligible') }}
            as full_provision_rate_computed,
        pivoted.full_provision_rate as full_provision_rate_reported,
        pivoted.partial_online_dossier_rate as partial_online_dossier_rate_reported,
        pivoted.full_online_dossier_rate as full_online_dossier_rate_reported,
        {{ kpi_rate_vs_reported(
            'online_share',
            numerator='pivoted.dossiers_received_online',
            denominator='pivoted.dossiers_received_total',
            reported='pivoted.online_dossier_rate',
            reported_qualifier='pivoted.online_dossier_rate_qualifier',
            denominator_missing='dossiers received (in person and online) not reported',
            denominator_zero='no dossier received',
            numerator_missing='dossiers received online not reported',
        ) }},
        coalesce(pivoted.is_cumulative, false) as is_cumulative,
        coalesce(pivoted.window_months, report_context.period_months) as window_months,
        level_3_4_rules.rule_text as comparability_note,
        report_context.template_family,
        report_context.source_file,
        pivoted.dossiers_received_total_source_line,
        pivoted.dossiers_received_online_source_line,
        pivoted.online_dossier_rate_source_line,
        pivoted.first_source_line,
        pivoted.last_source_line
    from pivoted
    inner join report_context
        on pivoted.report_id = report_context.report_id
    left join level_3_4_rules
        on report_context.template_family = level_3_4_rules.template_family
    where pivoted.reported_value_count > 0
)

select * from final

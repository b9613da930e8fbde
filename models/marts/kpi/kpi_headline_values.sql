-- One row per report x headline KPI: the value (computed from counts where the counts are
-- reported, else the reported rate), its change against the unit's previous comparable period
-- and its rank among the units of the same level, province and period. A value that cannot be
-- compared or ranked is null with the reason (rules: seeds/comparability_rules.csv).
{%- set headline_kpis = [
    ('on_time_rate', false),
    ('resolution_rate', false),
    ('online_share', false),
    ('e_document_share', false),
    ('plan_completion_rate', true),
    ('disbursement_rate', false),
] %}
{%- set window_words = "case when {} then 'a cumulative (year-to-date) figure over ' else 'a figure over ' end" %}

with

report_context as (
    select * from {{ ref('int_kpi_report_context') }}
),

procedure_processing as (
    select * from {{ ref('kpi_procedure_processing') }}
),

online_services as (
    select * from {{ ref('kpi_online_services') }}
),

e_documents as (
    select * from {{ ref('kpi_e_documents') }}
),

plan_completion as (
    select * from {{ ref('kpi_plan_completion') }}
),

public_finance as (
    select * from {{ ref('kpi_public_finance') }}
),

kpi_catalogue as (
    {%- for kpi_code, is_cumulative_by_definition in headline_kpis %}
        select
            '{{ kpi_code }}' as kpi_code,
            {{ loop.index }} as kpi_order,
            {{ is_cumulative_by_definition }} as is_cumulative_by_definition
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

own_level_procedures as (
    select procedure_processing.*
    from procedure_processing
    inner join report_context
        on
            procedure_processing.report_id = report_context.report_id
            and procedure_processing.processing_level = report_context.unit_level
),

e_document_candidates as (
    select
        e_documents.*,
        row_number() over (
            partition by e_documents.report_id
            order by
                case when e_documents.document_level = e_documents.unit_level then 0 else 1 end,
                case
                    when
                        e_documents.fully_electronic_share_computed is not null
                        or e_documents.fully_electronic_share_reported is not null
                        then 0
                    else 1
                end
        ) as level_preference
    from e_documents
    where e_documents.document_level in (e_documents.unit_level, 'unit')
),

preferred_e_documents as (
    select *
    from e_document_candidates
    where level_preference = 1
),

kpi_values as (
    {{ kpi_headline_rate(
        'on_time_rate',
        relation='own_level_procedures',
        rate='on_time_rate',
        numerator='dossiers_resolved_on_time',
        denominator='dossiers_resolved',
        is_cumulative='is_on_time_cumulative',
    ) }}

    union all

    {{ kpi_headline_rate(
        'resolution_rate',
        relation='own_level_procedures',
        rate='resolution_rate',
        numerator='dossiers_resolved',
        denominator='dossiers_received',
        is_cumulative='is_resolution_cumulative',
        has_reported=false,
    ) }}

    union all

    {{ kpi_headline_rate(
        'online_share',
        relation='online_services',
        rate='online_share',
        numerator='dossiers_received_online',
        denominator='dossiers_received_total',
        is_cumulative='is_cumulative',
    ) }}

    union all

    {{ kpi_headline_rate(
        'e_document_share',
        relation='preferred_e_documents',
        rate='fully_electronic_share',
        numerator='fully_electronic_documents',
        denominator='outgoing_documents',
        is_cumulative='is_cumulative',
    ) }}

    union all

    {{ kpi_headline_rate(
        'plan_completion_rate',
        relation='plan_completion',
        rate='completion_rate',
        numerator='tasks_completed',
        denominator='tasks_planned',
        is_cumulative='is_cumulative',
    ) }}

    union all

    {{ kpi_headline_rate(
        'disbursement_rate',
        relation='public_finance',
        rate='disbursement_rate',
        numerator='investment_disbursed_million_vnd',
        denominator='investment_plan_million_vnd',
        is_cumulative='is_investment_cumulative',
    ) }}
),

headline as (
    select
        {{ dbt.concat(["report_context.report_id", "':'", "kpi_catalogue.kpi_code"]) }} as headline_value_id,
        report_context.report_id,
        {{ kpi_report_context_columns() }},
        report_context.template_family,
        kpi_catalogue.kpi_code,
        kpi_catalogue.kpi_order,
        kpi_values.kpi_value,
        kpi_values.kpi_basis,
        kpi_values.qualifier,
        kpi_values.kpi_value is not null and kpi_values.qualifier is null as is_exact,
        case when kpi_values.kpi_basis = 'computed_from_counts' then kpi_values.numerator end as numerator,
        case when kpi_values.kpi_basis = 'computed_from_counts' then kpi_values.denominator end as denominator,
        coalesce(kpi_values.is_cumulative, kpi_catalogue.is_cumulative_by_definition) as is_cumulative,
        case
            when coalesce(kpi_values.is_cumulative, kpi_catalogue.is_cumulative_by_definition)
                then report_context.year_to_date_months
            else report_context.period_months
        end as window_months,
        case
            when kpi_values.kpi_value is not null then null
            when kpi_values.report_id is null then 'not in the report'
            else coalesce(kpi_values.value_null_reason, 'not reported')
        end as value_null_reason
    from report_context
    cross join kpi_catalogue
    left join kpi_values
        on
            report_context.report_id = kpi_values.report_id
            and kpi_catalogue.kpi_code = kpi_values.kpi_code
),

earlier_periods as (
    select
        current_period.headline_value_id,
        earlier.period_key as earlier_period_key,
        earlier.period_type as earlier_period_type,
        earlier.kpi_value as earlier_value,
        earlier.is_exact as earlier_is_exact,
        earlier.template_family as earlier_template_family,
        earlier.is_cumulative as earlier_is_cumulative,
        earlier.window_months as earlier_window_months,
        earlier.period_type = current_period.period_type as is_same_period_type,
        (
            earlier.period_type = current_period.period_type
            and earlier.window_months = current_period.window_months
            and earlier.is_cumulative = current_period.is_cumulative
        ) as is_same_window,
        earlier.period_end_date as earlier_period_end_date
    from headline as current_period
    inner join headline as earlier
        on
            current_period.unit_code = earlier.unit_code
            and current_period.kpi_code = earlier.kpi_code
            and current_period.period_end_date > earlier.period_end_date
),

ranked_earlier_periods as (
    select
        *,
        row_number() over (
            partition by headline_value_id, is_same_window order by earlier_period_end_date desc
        ) as same_window_recency,
        row_number() over (
            partition by headline_value_id, is_same_period_type order by earlier_period_end_date desc
        ) as same_type_recency,
        row_number() over (partition by headline_value_id order by earlier_period_end_date desc) as recency
    from earlier_periods
),

previous_comparable as (
    select *
    from ranked_earlier_periods
    where
        is_same_window
        and same_window_recency = 1
),

previous_same_type as (
    select *
    from ranked_earlier_periods
    where
        is_same_period_type
        and same_type_recency = 1
),

previous_any as (
    select *
    from ranked_earlier_periods
    where recency = 1
),

rankable as (
    select
        headline_value_id,
        cast(
            rank() over (
                partition by kpi_code, period_key, unit_level, province_code_at_report, window_months, is_cumulative
                order by kpi_value desc
            ) as integer
        ) as rank_in_group,
        cast(
            count(*) over (
                partition by kpi_code, period_key, unit_level, province_code_at_report, window_months, is_cumulative
            ) as integer
        ) as rank_group_size
    from headline
    where is_exact
),

final as (
    select
        headline.headline_value_id,
        headline.report_id,
        {{ kpi_report_context_columns('headline') }},
        headline.kpi_code,
        headline.kpi_order,
        headline.kpi_value,
        headline.kpi_basis,
        headline.qualifier,
        headline.is_exact,
        headline.numerator,
        headline.denominator,
        headline.is_cumulative,
        headline.window_months,
        headline.value_null_reason,
        previous_comparable.earlier_period_key as compared_with_period_key,
        previous_comparable.earlier_value as compared_with_value,
        case
            when headline.is_exact and previous_comparable.earlier_is_exact
                then headline.kpi_value - previous_comparable.earlier_value
        end as change_vs_previous,
        case
            when headline.kpi_value is null
                then {{ dbt.concat(["'no value in this period: '", "headline.value_null_reason"]) }}
            when previous_comparable.headline_value_id is null and previous_same_type.headline_value_id is not null
                then {{ dbt.concat([
                    "'not comparable with the previous '", "headline.period_type", "' '",
                    "previous_same_type.earlier_period_key", "': '",
                    window_words.format('previous_same_type.earlier_is_cumulative'),
                    dbt.safe_cast("previous_same_type.earlier_window_months", dbt.type_string()), "' months against '",
                    window_words.format('headline.is_cumulative'),
                    dbt.safe_cast("headline.window_months", dbt.type_string()), "' months; no earlier '",
                    "headline.period_type", "' with the same window is loaded'",
                ]) }}
            when previous_comparable.headline_value_id is null and previous_any.headline_value_id is not null
                then {{ dbt.concat([
                    "'no earlier '", "headline.period_type", "' of the unit is loaded; '",
                    "previous_any.earlier_period_key", "' is a '", "previous_any.earlier_period_type",
                    "', and a '", "previous_any.earlier_period_type", "' is never compared with a '",
                    "headline.period_type",
                ]) }}
            when previous_comparable.headline_value_id is null then 'no earlier report of the unit is loaded'
            when previous_comparable.earlier_value is null
                then {{ dbt.concat(["'no value in '", "previous_comparable.earlier_period_key"]) }}
            when not headline.is_exact or not previous_comparable.earlier_is_exact
                then 'a value written as a bound (e.g. over 90%) is not compared'
        end as change_not_comparable_reason,
        case
            when previous_comparable.earlier_template_family <> headline.template_family
                then {{ dbt.concat([
                    "'template changed from '", "previous_comparable.earlier_template_family", "' to '",
                    "headline.template_family", "': see the comparability notes of the KPI marts'",
                ]) }}
        end as comparison_note,
        rankable.rank_in_group,
        rankable.rank_group_size,
        case
            when headline.kpi_value is null then 'no value in this period'
            when not headline.is_exact then 'a value written as a bound (e.g. over 90%) is not ranked'
        end as rank_not_ranked_reason,
        headline.template_family
    from headline
    left join previous_comparable
        on headline.headline_value_id = previous_comparable.headline_value_id
    left join previous_same_type
        on headline.headline_value_id = previous_same_type.headline_value_id
    left join previous_any
        on headline.headline_value_id = previous_any.headline_value_id
    left join rankable
        on headline.headline_value_id = rankable.headline_value_id
)

select * from final

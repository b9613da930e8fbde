with

indicators as (
    select * from {{ ref('indicators') }}
),

crosswalks as (
    select * from {{ ref('int_crosswalks_unioned') }}
),

families_per_indicator as (
    select
        indicator_code,
        {{ dbt.listagg("distinct template_family", "', '", "order by template_family") }} as template_families,
        count(*) as crosswalk_entry_count
    from crosswalks
    where indicator_code is not null
    group by indicator_code
),

final as (
    select
        indicators.indicator_code,
        indicators.name_en,
        indicators.name_vi,
        indicators.reform_area,
        indicators.admin_level,
        indicators.value_type,
        indicators.unit,
        indicators.parent_indicator_code,
        indicators.numerator_indicator_code,
        indicators.denominator_indicator_code,
        indicators.numerator_indicator_code is not null as is_rate,
        indicators.is_cumulative,
        indicators.description,
        coalesce(families_per_indicator.template_families, '') as template_families,
        coalesce(families_per_indicator.crosswalk_entry_count, 0) as crosswalk_entry_count
    from indicators
    left join families_per_indicator
        on indicators.indicator_code = families_per_indicator.indicator_code
)

select * from final

-- Every reporting period of the years 2015-2035 with its Decree 09/2019/NĐ-CP data window
-- (15th of the month before the first month to the 14th of the last month).
with

period_types as (
    select * from {{ ref('period_types') }}
),

years as (
    {{ dbt.date_spine('year', "cast('2015-01-01' as date)", "cast('2036-01-01' as date)") }}
),

periods as (
    select
        cast(extract(year from years.date_year) as integer) as period_year,
        period_types.*,
        cast(years.date_year as date) as year_start_date
    from years
    cross join period_types
),

final as (
    select
        {{ dbt.concat([dbt.safe_cast("period_year", dbt.type_string()), "'-'", "period_suffix"]) }} as period_key,
        period_year,
        period_type,
        period_number,
        period_suffix,
        name_en as period_type_name_en,
        name_vi as period_type_name_vi,
        months_covered,
        is_year_to_date,
        cast({{ dbt.dateadd('month', 'first_month - 1', 'year_start_date') }} as date) as calendar_start_date,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 'last_month', 'year_start_date')) }} as date)
            as calendar_end_date,
        cast({{ dbt.dateadd('day', 14, dbt.dateadd('month', 'first_month - 2', 'year_start_date')) }} as date)
            as data_window_start_date,
        cast({{ dbt.dateadd('day', 13, dbt.dateadd('month', 'last_month - 1', 'year_start_date')) }} as date)
            as data_window_end_date
    from periods
)

select * from final

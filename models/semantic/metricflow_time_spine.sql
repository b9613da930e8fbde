-- The daily time spine MetricFlow needs for the semantic layer (configured in _semantic__models.yml).
{{ config(materialized='table', schema='semantic') }}

with

days as (
    {{ dbt.date_spine('day', "cast('2015-01-01' as date)", "cast('2036-01-01' as date)") }}
),

final as (
    select cast(date_day as date) as date_day
    from days
)

select * from final

{#- The period key of a report: '2022-Q3', '2024-H1', '2023-M9', '2021-Y' (null when unknown). -#}
{% macro period_key(period_type, period_year, period_number) -%}
    case
        when {{ period_year }} is null then null
        when {{ period_type }} = 'quarter' and {{ period_number }} is not null
            then {{ dbt.concat([
                dbt.safe_cast(period_year, dbt.type_string()), "'-Q'",
                dbt.safe_cast(period_number, dbt.type_string()),
            ]) }}
        when {{ period_type }} = 'half' and {{ period_number }} is not null
            then {{ dbt.concat([
                dbt.safe_cast(period_year, dbt.type_string()), "'-H'",
                dbt.safe_cast(period_number, dbt.type_string()),
            ]) }}
        when {{ period_type }} = 'nine_months'
            then {{ dbt.concat([dbt.safe_cast(period_year, dbt.type_string()), "'-M9'"]) }}
        when {{ period_type }} = 'year'
            then {{ dbt.concat([dbt.safe_cast(period_year, dbt.type_string()), "'-Y'"]) }}
    end
{%- endmacro %}

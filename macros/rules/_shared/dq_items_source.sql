{#- The source of the item kinds (domain, completeness, outlier, same_figure with second=candidate):
    one row per report x indicator of the rule (aliased v), from the pivot's report columns, a
    VALUES list of the codes and the long canonical values (CTE indicator_values; CTE
    second_statements for the second statement of a figure), aliased `alias` (none: no alias).
    Columns: the report columns,
    item_code, x (value when reported), x_reported, x_line_start, and x_second. -#}
{% macro dq_items_source(codes, alias='v') -%}
    (
        select
            r.report_id,
            r.unit_code,
            r.period_key,
            r.period_type,
            r.unit_level,
            r.template_family,
            r.source_file,
            items.item_code,
            case when fv.is_reported then cast(fv.value_number as double precision) end as x,
            coalesce(fv.is_reported, false) as x_reported,
            fv.source_line_start as x_line_start,
            cast(ss.value_number as double precision) as x_second
        from report_values as r
        cross join (
            values {% for code in codes %}('{{ code }}'){% if not loop.last %}, {% endif %}{% endfor %}
        ) as items (item_code)
        left join indicator_values as fv
            on r.report_id = fv.report_id and items.item_code = fv.indicator_code
        left join second_statements as ss
            on r.report_id = ss.report_id and items.item_code = ss.indicator_code
    ){% if alias %} as {{ alias }}{% endif %}
{%- endmacro %}

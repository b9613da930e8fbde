{#- The name of an administrative level code (province, district, commune; unit for figures of the
    reporting unit itself) in Vietnamese (lang='vi': cấp tỉnh, cấp huyện, cấp xã, đơn vị báo cáo) or
    English (lang='en': province level, district level, commune level, reporting unit); null for
    null, the code itself for a code not listed. -#}
{% macro admin_level_name(level_expr, lang) -%}
    {%- set names = {
        'province': ('cấp tỉnh', 'province level'),
        'district': ('cấp huyện', 'district level'),
        'commune': ('cấp xã', 'commune level'),
        'unit': ('đơn vị báo cáo', 'reporting unit'),
    } -%}
    {%- if lang not in ('vi', 'en') -%}
        {{ exceptions.raise_compiler_error("admin_level_name: lang must be 'vi' or 'en', not " ~ lang) }}
    {%- endif -%}
    case {{ level_expr }}
        {%- for code, pair in names.items() %}
        when '{{ code }}' then '{{ pair[0] if lang == 'vi' else pair[1] }}'
        {%- endfor %}
        else {{ level_expr }}
    end
{%- endmacro %}

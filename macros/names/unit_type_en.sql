{#- The English word for a register type word (raw.admin_units.unit_type, lower case): tỉnh
    Province, thành phố City (a centrally-run city or a provincial city), huyện District, quận
    District (urban), thị xã Town, thị trấn Township, xã Commune, phường Ward, đặc khu Special Zone;
    another word is folded to ASCII as it is. -#}
{% macro unit_type_en(type_expr) -%}
    case {{ type_expr }}
        {%- for vi, en in [
            ('tỉnh', 'Province'),
            ('thành phố', 'City'),
            ('huyện', 'District'),
            ('quận', 'District'),
            ('thị xã', 'Town'),
            ('thị trấn', 'Township'),
            ('xã', 'Commune'),
            ('phường', 'Ward'),
            ('đặc khu', 'Special Zone'),
        ] %}
        when '{{ vi }}' then '{{ en }}'
        {%- endfor %}
        else {{ ascii_fold(type_expr) }}
    end
{%- endmacro %}

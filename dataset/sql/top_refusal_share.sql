-- refusal_share: withheld / handled, where withheld is 表三 （三）不予公开 (the printed subtotal, else
-- gongkai's derived sum of its reasons) and handled is 办理结果总计 as printed, both in column 总计.
-- --min-volume applies to handled.
-- sort: refusal_share
-- volume: handled
WITH t AS (
  SELECT report_id,
         max(CASE WHEN row_key = 'withheld_total' THEN value END) AS withheld,
         max(CASE WHEN row_key = 'results_total' AND NOT derived THEN value END) AS handled
  FROM applications WHERE col_key = 'total' GROUP BY report_id)
SELECT report_id, withheld, handled, round(withheld / handled, 4) AS refusal_share
FROM t WHERE withheld IS NOT NULL AND handled > 0

-- new_requests: new applications received in the year, 表三 一、本年新收政府信息公开申请数量, column 总计,
-- as printed (a derived cell is never ranked).
-- sort: new_requests
-- volume: new_requests
SELECT report_id, value AS new_requests
FROM applications
WHERE row_key = 'new_received' AND col_key = 'total' AND NOT derived AND value IS NOT NULL
